// Errors of the budget file, with a Chinese message fit to show the user as is.

export type StoreErrorKind =
  | 'missing' // the file does not exist
  | 'not-budget' // not a budget file (another program's file, or not SQLite at all)
  | 'newer' // written by a newer version of the app
  | 'inconsistent' // the file's migration record does not match the app's migrations
  | 'corrupt' // damaged or unreadable
  | 'io' // the file or its folder cannot be read or written
  | 'empty' // the file holds no budget yet
  | 'not-found' // a line, project or unit that does not exist
  | 'in-use' // cannot delete: still referenced
  | 'busy' // another window or program has the file open for writing
  | 'locked' // the budget was submitted (上报) and is locked until it is unlocked
  | 'invalid'; // the data to store breaks the budget's structure

export interface StoreProblem {
  /** Where: a field name, or a path like "lines[3].amount". */
  field?: string;
  message: string;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly problems: StoreProblem[] = [],
  ) {
    super(message);
  }
}
