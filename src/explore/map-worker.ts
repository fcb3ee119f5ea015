/** Worker thread of the explorer's PCA map and trustworthiness (map-task.ts), off the caller's event loop. */
import { serveTasks } from '../eval/task-worker.js';
import { runMapTask, type MapTask } from './map-task.js';

serveTasks((t: MapTask) => runMapTask(t));
