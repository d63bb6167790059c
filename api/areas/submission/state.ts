// What the 上报 handlers read from the session (SubmissionSession), and one session's 上报 work in progress:
// export jobs, inspected packages and their temporary copies (SubmissionState).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CodeBook } from '../../../core/codelists.js';
import type { Budget, BudgetLine } from '../../../core/model.js';
import { BudgetStore } from '../../../db/store.js';
import type { PackageFileSystem } from '../../../submission/safe-write.js';
import type { ChangeSet } from '../../contract.js';
import type { ChooseKind, ExportResultView, ExportStepCode } from '../../submission.js';

/** 说明 drafts of the soft findings, { "rule@place": note }, kept in the budget file. */
export const NOTES_META_KEY = 'submission.notes';
/** The folder of the last successful 上报 from this file. */
export const LAST_FOLDER_META_KEY = 'submission.lastFolder';

export const EXPORT_RUNNING_MESSAGE = '正在生成上报数据包，完成前不能修改预算（上报的数据须与预算文件一致），请稍候';

/** Lists shown in a diff are cut here (the counts stay exact). */
export const DIFF_LIST_LIMIT = 2000;
const JOBS_KEPT = 8;
const INSPECTIONS_KEPT = 4;

export interface LineChange {
  before: BudgetLine | null;
  after: BudgetLine | null;
}

/** A native dialog of the desktop host: the chosen path, or null when cancelled. */
export type FileChooser = (request: { kind: ChooseKind; suggested?: string }) => Promise<string | null>;

/** What a handler needs of the session. */
export interface SubmissionSession {
  /** The open file (it may hold no budget yet); null when none is open. */
  store: BudgetStore | null;
  state: SubmissionState;
  /** The open budget, or a refusal saying there is none. */
  requireBudget(): { store: BudgetStore; budget: Budget; book: CodeBook };
  /** The budget's lines as the session holds them now. */
  lines(): BudgetLine[];
  /** Runs `write` (line changes) and records them as one undoable step, in one transaction; describes them. */
  commitLines(label: string, write: (store: BudgetStore) => LineChange[]): ChangeSet;
}

export interface ExportJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  step: ExportStepCode | null;
  result?: ExportResultView;
  error?: { message: string; details: string[]; code: string };
}

interface Inspection {
  ticket: string;
  /** The temporary copy of the package. */
  path: string;
  unitCode: string;
}

/** One session's 上报 work in progress: export jobs, inspected packages and their temporary copies. */
export class SubmissionState {
  /** The desktop host's dialogs (null in the browser host). */
  chooseFile: FileChooser | null;
  /** Replaces file-system steps of writing a package (tests make one fail). */
  fileSystem: Partial<PackageFileSystem> | undefined;
  readonly jobs = new Map<string, ExportJob>();
  readonly inspections = new Map<string, Inspection>();
  private tempRoot: string | null = null;

  constructor(options: { chooseFile?: FileChooser | null; fileSystem?: Partial<PackageFileSystem> } = {}) {
    this.chooseFile = options.chooseFile ?? null;
    this.fileSystem = options.fileSystem;
  }

  /** A fresh temporary folder for one file, inside this session's own temporary folder. */
  tempFolder(): string {
    this.tempRoot ??= mkdtempSync(join(tmpdir(), 'budget-submission-'));
    const dir = join(this.tempRoot, randomBytes(6).toString('hex'));
    mkdirSync(dir);
    return dir;
  }

  forget(ticket: string): boolean {
    const inspection = this.inspections.get(ticket);
    if (!inspection) return false;
    this.inspections.delete(ticket);
    rmSync(dirname(inspection.path), { recursive: true, force: true });
    return true;
  }

  remember(inspection: Inspection): void {
    this.inspections.set(inspection.ticket, inspection);
    while (this.inspections.size > INSPECTIONS_KEPT) this.forget(this.inspections.keys().next().value!);
  }

  addJob(job: ExportJob): void {
    this.jobs.set(job.id, job);
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= JOBS_KEPT) break;
      if (j.state !== 'running') this.jobs.delete(id);
    }
  }

  /** Deletes the temporary files (the session closes). */
  dispose(): void {
    this.inspections.clear();
    if (this.tempRoot) rmSync(this.tempRoot, { recursive: true, force: true });
    this.tempRoot = null;
  }
}
