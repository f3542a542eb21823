// System packages some suites need (Debian's nginx, PostgreSQL, Redis, Chromium). A suite
// whose package is missing is skipped with one line saying what to install, unless the run
// asks for it (CI=true, or BATON_REQUIRE=nginx,chromium,...), in which case it fails.
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type SystemPackage = 'nginx' | 'postgresql' | 'redis' | 'chromium';

const INSTALL: Record<SystemPackage, string> = {
  nginx: 'apt-get install -y nginx-light',
  postgresql: 'apt-get install -y postgresql',
  redis: 'apt-get install -y redis-server',
  chromium: 'apt-get install -y chromium',
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH or in the sbin folders Debian uses, or null. */
function onPath(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const dir of dirs) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Where the package's program is, or null when it is not installed. */
export function findSystemPackage(name: SystemPackage): string | null {
  switch (name) {
    case 'nginx':
      if (process.env.BATON_NGINX) return executable(process.env.BATON_NGINX) ? process.env.BATON_NGINX : null;
      return onPath('nginx');
    case 'chromium': {
      const path = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
      return executable(path) ? path : null;
    }
    case 'redis':
      return onPath('redis-server');
    case 'postgresql': {
      const base = '/usr/lib/postgresql';
      const versions = existsSync(base) ? readdirSync(base).filter((v) => executable(join(base, v, 'bin', 'postgres'))) : [];
      return versions.length > 0 ? join(base, versions[0]!, 'bin') : null;
    }
  }
}

export function hasSystemPackage(name: SystemPackage): boolean {
  return findSystemPackage(name) !== null;
}

/** True when this run must not skip suites that need `name`. */
export function isRequired(name: SystemPackage, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI === 'true' || env.CI === '1') return true;
  const listed = (env.BATON_REQUIRE ?? '').split(',').map((s) => s.trim());
  return listed.includes(name) || listed.includes('all');
}

/** The one line printed for a missing package: what is skipped and what to install. */
export function missingLine(name: SystemPackage, suite: string): string {
  return `${suite}: skipped, ${name} is not installed (${INSTALL[name]}; set BATON_REQUIRE=${name} to fail instead)`;
}

export function requiredLine(name: SystemPackage, suite: string): string {
  return `${suite}: ${name} is required by this run (CI or BATON_REQUIRE) but not installed: ${INSTALL[name]}`;
}
