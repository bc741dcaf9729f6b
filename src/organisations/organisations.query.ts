import type { Db } from '../platform/db/db.js';
import * as repo from './organisations.repository.js';

/** An organisation by id, for other modules (null when unknown). */
export function orgById(db: Db, id: number) {
  return repo.orgById(db, id);
}
