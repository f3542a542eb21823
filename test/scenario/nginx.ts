// Debian's nginx in front of a relay under a path prefix, as deploy/nginx/baton.conf sets it
// up (minus TLS): a minimal nginx.conf in a temp dir, nginx as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './fixtures.ts';
import { freePort } from '../support/ports.ts';
import { findSystemPackage } from '../support/system.ts';

export interface Nginx {
  /** http://127.0.0.1:PORT/<prefix>: a relay base URL with a path. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The nginx binary ($BATON_NGINX if set), or null; Debian puts it in /usr/sbin. */
export function findNginx(): string | null {
  return findSystemPackage('nginx');
}

function config(dir: string, port: number, relayPort: number, prefix: string): string {
  return `# Written by test/scenario/nginx.ts; see deploy/nginx/baton.conf for production.
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    server {
        listen 127.0.0.1:${port};
        location /${prefix}/ {
            proxy_pass http://127.0.0.1:${relayPort}/;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            client_max_body_size 16m;
            proxy_buffering off;
        }
    }
}
`;
}

/** Starts nginx proxying http://127.0.0.1:PORT/<prefix>/ to the relay; throws when nginx is missing. */
export async function startNginx(relayPort: number, prefix = 'baton'): Promise<Nginx> {
  const binary = findNginx();
  if (!binary) {
    throw new Error(`nginx is not installed${process.env.BATON_NGINX ? ` at BATON_NGINX=${process.env.BATON_NGINX}` : ''}: this scenario needs Debian's nginx (apt-get install -y nginx-light); .ci/run installs it`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, port, relayPort, prefix));
  const child: ChildProcess = spawn(binary, ['-c', conf, '-p', `${dir}/`, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${port}/${prefix}`;
  const close = async () => {
    if (!dead) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (dead) throw new Error(`nginx exited: ${stderr}${readLog(join(dir, 'error.log'))}`);
        try {
          const res = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(1000) });
          return res.ok && ((await res.json()) as { software?: string }).software === 'baton';
        } catch {
          return false;
        }
      },
      { timeoutMs: 10_000, what: 'nginx to answer' },
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { url, port, close };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
