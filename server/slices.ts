// Long work on the event loop in slices: a loop calls `slice.due()` between small steps and
// awaits `slice.pause()` when it is true, so that every other request gets a turn at least
// every few tens of milliseconds.

/** A turn of the event loop: pending I/O (other clients' messages) runs before we go on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Slice {
  #start = performance.now();

  constructor(private readonly budgetMs = 20) {}

  /** The slice has run its time. */
  due(): boolean {
    return performance.now() - this.#start >= this.budgetMs;
  }

  async pause(): Promise<void> {
    await nextTurn();
    this.#start = performance.now();
  }

  /** Pauses only when due. */
  async check(): Promise<void> {
    if (this.due()) await this.pause();
  }
}

/** Runs a step-wise generator to the end, pausing at its checkpoints (null) when the slice is due. */
export async function runSteps<T>(steps: Iterator<T | null, void>, slice: Slice): Promise<T[]> {
  const out: T[] = [];
  for (let step = steps.next(); !step.done; step = steps.next()) {
    if (step.value !== null) out.push(step.value);
    await slice.check();
  }
  return out;
}
