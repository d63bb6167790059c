// A problem found in user input (an exchange file, a code list): where it is and what is wrong.
// Every reader reports all problems at once, so the user fixes a file in one pass.

export interface Problem {
  /** JSON path of the offending value, e.g. "$.lines[3].amount"; "$" for the document itself. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** Chinese, says what is wrong (and, where it helps, what is expected). */
  message: string;
}

/** One line of text for a terminal or a log: "$.lines[3].amount（第 58 行）：金额不能为负数（-1）". */
export function formatProblem(problem: Problem): string {
  const where = problem.line !== undefined ? `${problem.path}（第 ${problem.line} 行）` : problem.path;
  return `${where}：${problem.message}`;
}
