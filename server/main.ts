// Command line entry of the browser host: `tsx server/main.ts --db <file> [--port N] [--dist DIR]`.
// Prints the address (with its secret) on a line of its own; request logs never carry the secret.
import { resolve } from 'node:path';
import { startBrowserHost } from './host.js';

function parseArgs(argv: string[]): { db?: string; port?: number; dist?: string; quiet: boolean } {
  const out: { db?: string; port?: number; dist?: string; quiet: boolean } = { quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`参数 ${arg} 缺少取值`);
      return v;
    };
    if (arg === '--db') out.db = resolve(next());
    else if (arg === '--port') {
      const v = next();
      if (!/^\d{1,5}$/.test(v) || Number.parseInt(v, 10) > 65535) throw new Error(`端口“${v}”无效，应为 0–65535 的整数`);
      out.port = Number.parseInt(v, 10);
    } else if (arg === '--dist') out.dist = resolve(next());
    else if (arg === '--quiet') out.quiet = true;
    else throw new Error(`未知参数“${arg}”。用法：server/main.ts --db <预算文件> [--port 端口] [--dist 界面目录]`);
  }
  return out;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const host = await startBrowserHost({
    dbPath: args.db,
    port: args.port,
    distDir: args.dist,
    log: args.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`部门预算编制已启动，请在浏览器中打开：\n${host.url}\n`);
  const stop = () => {
    host.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
