// The wrong-patient guard across EMR windows, walked in Node over the session code the bundle ships
// (the walk and its model browser: cross-window-walk.ts, browser-sim.ts). At least 1,000,000 steps per
// run of the suite, in a worker thread; the shrunk walks of seeds that once failed, replayed here.
import { expect } from 'chai';
import { SHRUNK_WALKS, STEPS_PER_WALK, WALKS, walk, type Step, type walkMany } from './cross-window-walk.js';
import { inWorker } from '../helpers/ts-worker.js';

describe('the wrong-patient guard across chart windows, walked in Node over the shipped session code', () => {
  if (process.env.CROSS_WINDOW_REPLAY) {
    it('replays one walk (CROSS_WINDOW_REPLAY: the steps a failure printed, as JSON), shrunk to fewer steps that still fail', async () => {
      let steps: Step[] = JSON.parse(`[${process.env.CROSS_WINDOW_REPLAY}]`);
      const fails = async (candidate: Step[]) => walk(candidate).then(() => false, () => true);
      // Drops runs of steps, halving the run, while the walk still fails.
      for (let size = process.env.CROSS_WINDOW_AS_IS ? 0 : Math.ceil(steps.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
        for (let start = 0; start < steps.length; ) {
          const candidate = [...steps.slice(0, start), ...steps.slice(start + size)];
          if (await fails(candidate)) steps = candidate;
          else start += size;
        }
      }
      console.log(JSON.stringify(steps).slice(1, -1));
      await walk(steps);
    });
    return;
  }
  for (const [title, steps] of SHRUNK_WALKS) it(title, () => walk(steps));

  it(`holds after every step of ${WALKS} walks of ${STEPS_PER_WALK} steps`, async () => {
    // In a worker thread of its own: node:test tracks every promise of the test's thread (async hooks),
    // and the walk's few million made it two and a half times slower there.
    const { failure, steps, seconds } = await inWorker<Awaited<ReturnType<typeof walkMany>>>(new URL('./cross-window-walks.worker.ts', import.meta.url));
    if (failure) expect.fail(failure);
    console.log(`cross-window walk: ${steps.toLocaleString('en')} steps in ${seconds.toFixed(1)} s`);
    if (!process.env.CROSS_WINDOW_SHRINK) expect(steps).to.be.at.least(WALKS * STEPS_PER_WALK);
  });
});
