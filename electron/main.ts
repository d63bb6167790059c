// Entry of the Electron main process (package.json "main" → dist-electron/electron/main.js). Everything
// testable lives in desktop.ts; this file only hands it the real Electron modules. The budget service runs in
// its own process (service-child.js beside this file), so main never loads SQLite, the PDF or .xlsx code.
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { startDesktop } from './desktop.js';

const mainDir = dirname(fileURLToPath(import.meta.url));

startDesktop(
  { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session, utilityProcess },
  {
    // dist-electron/electron/main.js → the app folder (the repository, or resources/app.asar when packaged).
    appRoot: resolve(mainDir, '..', '..'),
    mainDir,
    argv: process.argv.slice(1),
    cwd: process.cwd(),
    platform: { platform: process.platform, env: process.env, home: homedir() },
  },
)?.catch((err: unknown) => {
  // Only a fault of the program itself lands here (files the user names are handled with a message).
  dialog.showErrorBox('部门预算编制无法启动', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
