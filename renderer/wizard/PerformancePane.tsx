// The 绩效目标 tab: the project list, one project's wizard, or the department's overall table.
import { useEffect, useState } from 'react';
import type { ShowToast } from '../toast.js';
import { DepartmentForm } from './DepartmentForm.js';
import { ProjectList } from './ProjectList.js';
import { ProjectWizard } from './ProjectWizard.js';
import './wizard.css';

/** A project's 审核 finding to open the wizard at: its rule, field and indicator. */
export interface ProjectTarget {
  project: string;
  rule: string;
  field: string | null;
  indicator: number | null;
}

type Route = { kind: 'list' } | { kind: 'project'; code: string | null; key: number; at?: ProjectTarget } | { kind: 'department' };

export function PerformancePane({ toast, onChanged, open }: { toast: ShowToast; onChanged(): void; open?: { target: ProjectTarget; key: number } | null }) {
  const [route, setRoute] = useState<Route>(() => (open ? { kind: 'project', code: open.target.project, key: open.key, at: open.target } : { kind: 'list' }));
  useEffect(() => {
    if (open) setRoute({ kind: 'project', code: open.target.project, key: open.key, at: open.target });
  }, [open]);
  const [revision, setRevision] = useState(0);
  const back = () => {
    setRevision((r) => r + 1);
    setRoute({ kind: 'list' });
  };
  return (
    <div className="wz-pane" data-testid="performance-pane">
      {route.kind === 'list' ? (
        <ProjectList
          revision={revision}
          toast={toast}
          onChanged={onChanged}
          onOpen={(code) => setRoute({ kind: 'project', code, key: Date.now() })}
          onDepartment={() => setRoute({ kind: 'department' })}
        />
      ) : null}
      {route.kind === 'project' ? <ProjectWizard key={route.key} code={route.code} at={route.at} toast={toast} onChanged={onChanged} onExit={back} /> : null}
      {route.kind === 'department' ? <DepartmentForm toast={toast} onChanged={onChanged} onExit={back} /> : null}
    </div>
  );
}
