import type { FileChange } from "../repo/tree.js";

/** Everything a generator will do, decided before anything is written. */
export interface Plan {
  /** One line saying what the plan does ("Add host web1"). */
  title: string;
  changes: FileChange[];
  /** Commands and edits left to the user, in order. */
  nextSteps: string[];
}
