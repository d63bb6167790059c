// Entry point of `npm run budget -- …`; the commands are in run.ts.
import { terminalSafe } from './args.js';
import { run } from './run.js';

// A reader that stops early (`… | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const code = await run(process.argv.slice(2), {
  // Reports shown on a terminal are escaped like messages; piped into a file they stay as they are.
  out: (text) => process.stdout.write(process.stdout.isTTY ? terminalSafe(text) : text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
