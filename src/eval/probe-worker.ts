/** Worker thread of `evaluateProbe` and the doctor's label issues: runs probe tasks (probe-task.ts) off the caller's event loop. */
import { runProbeTask, type ProbeTask } from './probe-task.js';
import { serveTasks } from './task-worker.js';

serveTasks((t: ProbeTask) => runProbeTask(t));
