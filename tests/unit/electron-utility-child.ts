// What the Electron stand-in runs as a utilityProcess: a plain Node child process whose IPC channel plays
// process.parentPort (messages arrive as { data }, as Electron delivers them), then the module asked for.
// Started by tests/unit/electron-fake.ts as `node --import tsx electron-utility-child.ts <module>`.
import { pathToFileURL } from 'node:url';

const send = process.send?.bind(process);
if (!send) throw new Error('started without an IPC channel');
const parentPort = {
  on(event: string, listener: (event: { data: unknown; ports: unknown[] }) => void) {
    if (event === 'message') process.on('message', (data) => listener({ data, ports: [] }));
    return parentPort;
  },
  postMessage(message: unknown) {
    if (process.connected) send(message);
  },
};
(process as { parentPort?: unknown }).parentPort = parentPort;
// Electron ends a utilityProcess with its app; here, with the test that started it.
process.on('disconnect', () => process.exit(0));
await import(pathToFileURL(process.argv[2]!).href);
