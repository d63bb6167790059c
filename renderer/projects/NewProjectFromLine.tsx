// 新建项目 from the grid's 项目 cell: the text typed there (a name or a code) and the line's unit, 功能分类 and
// amount prefill the dialog; saving creates the project and gives it to the line in one action (one undo step).
import { useEffect, useState } from 'react';
import type { ProjectBlank, ProjectSaved } from '../../api/projects.js';
import { call, errorMessage } from '../api.js';
import type { ShowToast } from '../toast.js';
import { ProjectDialog } from './ProjectDialog.js';

export function NewProjectFromLine({
  text,
  lineId,
  toast,
  onClose,
  onSaved,
}: {
  text: string;
  lineId: number;
  toast: ShowToast;
  onClose(): void;
  onSaved(saved: ProjectSaved): void;
}) {
  const [blank, setBlank] = useState<ProjectBlank | null>(null);
  useEffect(() => {
    let live = true;
    call('projects.blank', { text, line: lineId })
      .then((b) => live && setBlank(b))
      .catch((err: unknown) => {
        if (!live) return;
        toast(errorMessage(err), 'error');
        onClose();
      });
    return () => {
      live = false;
    };
    // Loaded once for the text and line the dialog was opened for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, lineId]);
  if (!blank) return null;
  return (
    <ProjectDialog
      title="新建项目"
      values={blank.values}
      choices={blank}
      editing={null}
      assignLine={lineId}
      intro={
        <>
          项目库中还没有“{text}”。新建后，当前预算行即改为此项目的项目支出（可撤销）。单位、功能分类和本年度金额取自该行，可修改。
        </>
      }
      onClose={onClose}
      onSaved={onSaved}
    />
  );
}
