/** A call-record file that cannot be used at all (its header, its encoding): the run stops with this message. */
export class CsvInputError extends Error {
  override name = 'CsvInputError';
}
