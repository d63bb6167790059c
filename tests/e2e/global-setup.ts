// Builds nothing (npm run test:e2e runs vite build first); only says clearly when the UI is not built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  const index = join(process.cwd(), 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) {
    throw new Error(`The UI is not built (${index} is missing): run "npx vite build" or "npm run test:e2e".`);
  }
}
