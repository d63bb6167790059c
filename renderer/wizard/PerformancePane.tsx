// The 绩效目标 tab: the project list, one project's wizard, or the department's overall table.
import { useState } from 'react';
import type { ShowToast } from '../toast.js';
import { DepartmentForm } from './DepartmentForm.js';
import { ProjectList } from './ProjectList.js';
import { ProjectWizard } from './ProjectWizard.js';
import './wizard.css';

type Route = { kind: 'list' } | { kind: 'project'; code: string | null; key: number } | { kind: 'department' };

export function PerformancePane({ toast, onChanged }: { toast: ShowToast; onChanged(): void }) {
  const [route, setRoute] = useState<Route>({ kind: 'list' });
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
      {route.kind === 'project' ? <ProjectWizard key={route.key} code={route.code} toast={toast} onChanged={onChanged} onExit={back} /> : null}
      {route.kind === 'department' ? <DepartmentForm toast={toast} onChanged={onChanged} onExit={back} /> : null}
    </div>
  );
}
