// Locks the app after a time without use, and when the tab has been hidden for long. Timers
// in a hidden tab are slowed by the browser, so the hidden time is also checked by the clock
// when the tab is shown again.
import type { LockSettings } from './record.ts';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export class IdleLock {
  private last = Date.now();
  private hiddenAt: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly onActivity = () => (this.last = Date.now());
  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') this.hiddenAt = Date.now();
    else {
      this.check();
      this.hiddenAt = null;
      this.last = Date.now();
    }
  };

  constructor(
    private settings: LockSettings,
    private readonly lock: () => void,
  ) {}

  start(): void {
    for (const type of ACTIVITY) addEventListener(type, this.onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', this.onVisibility);
    this.timer = setInterval(() => this.check(), 5000);
  }

  update(settings: LockSettings): void {
    this.settings = settings;
    this.last = Date.now();
  }

  stop(): void {
    for (const type of ACTIVITY) removeEventListener(type, this.onActivity, { capture: true });
    document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = Date.now();
    const { idleMinutes, hiddenMinutes } = this.settings;
    const idle = idleMinutes > 0 && now - this.last >= idleMinutes * 60_000;
    const hidden = hiddenMinutes > 0 && this.hiddenAt !== null && now - this.hiddenAt >= hiddenMinutes * 60_000;
    if (idle || hidden) {
      this.stop();
      this.lock();
    }
  }
}
