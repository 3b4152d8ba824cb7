/**
 * Reading the rules file and its list files: only regular files, opened
 * without blocking. A FIFO put where the rules were blocks a plain open()
 * until some writer appears, wedging every later reload behind it (and one
 * libuv thread with it); a device like /dev/zero stats as 0 bytes and then
 * never ends.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The text of `file`, or an error whose `code` is the errno, 'NOT_REGULAR' or 'TOO_LARGE' (message: the reason). */
export async function readRegularFile(file: string, maxBytes: number): Promise<string> {
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; no effect on regular files.
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'NOT_REGULAR' });
    if (st.size > maxBytes) throw Object.assign(new Error(`${st.size} bytes, over the ${maxBytes}-byte limit`), { code: 'TOO_LARGE', size: st.size });
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}
