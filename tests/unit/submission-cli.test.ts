// The package and receive commands as a user runs them: refused without 说明, then with a notes file keyed by
// what the refusal listed; received into a department file; a broken package refused with exit code 2.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetStore } from '../../db/store.js';
import { runPackageCommand, runReceiveCommand } from '../../cli/package.js';
import { budgetDb, departmentDb, fixtureBudget, tempDir } from './submission-fixture.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), text: () => out.join(''), errors: () => err.join('') };
}

let dir: string;
let db: string;
let usb: string;
beforeAll(() => {
  dir = tempDir('submission-cli-');
  db = budgetDb(dir, fixtureBudget());
  usb = join(dir, 'usb');
  mkdirSync(usb);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('budget CLI: package and receive', () => {
  it('package lists the findings without 说明 by key, then succeeds with a notes file of those keys', async () => {
    const first = io();
    expect(await runPackageCommand(['--db', db, '--out', usb], first)).toBe(1);
    expect(readdirSync(usb)).toEqual([]);
    const keys = [...first.errors().matchAll(/（编号 ([^）]+)）/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(5);
    const notesFile = join(dir, 'notes.json');
    writeFileSync(notesFile, JSON.stringify(Object.fromEntries(keys.map((k) => [k, '经核实，按实际情况填报']))));
    const second = io();
    expect(await runPackageCommand(['--db', db, '--out', usb, '--notes', notesFile, '--by', '王会计'], second)).toBe(0);
    expect(second.text()).toContain('已生成上报数据包');
    expect(readdirSync(usb)).toHaveLength(1);
    // 操作人 is recorded with the submission, as with an unlock.
    const store = BudgetStore.open(db);
    expect(store.lockEvents().map((e) => [e.event, e.by])).toEqual([['submitted', '王会计']]);
    store.close();
  });

  it('receive checks, stores and reports; a damaged copy is refused with exit code 2', async () => {
    const zip = join(usb, readdirSync(usb)[0]!);
    const dep = departmentDb(dir);
    const check = io();
    const before = readFileSync(dep);
    expect(await runReceiveCommand([zip, '--db', dep, '--check-only'], check)).toBe(0);
    expect(check.text()).toContain('数据包检查通过');
    expect(readFileSync(dep).equals(before)).toBe(true);
    const ok = io();
    expect(await runReceiveCommand([zip, '--db', dep], ok)).toBe(0);
    expect(ok.text()).toContain('已接收 074 济源市行政服务中心');
    const damaged = join(dir, 'damaged.zip');
    writeFileSync(damaged, readFileSync(zip).subarray(0, 5000));
    const bad = io();
    expect(await runReceiveCommand([damaged, '--db', dep], bad)).toBe(2);
    expect(bad.errors()).toMatch(/不是有效的 zip 文件|不完整/);
    const usage = io();
    expect(await runReceiveCommand(['--db', dep], usage)).toBe(2);
    expect(usage.errors()).toContain('缺少 <数据包.zip>');
  });
});
