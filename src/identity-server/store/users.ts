// The local organisation's users, who sign in on the Identity Server's page: names, display names and password hashes.
import { randomUUID } from 'node:crypto';
import type { LocalUser } from '../../shared/model';
import type { IdentityDatabase } from './database';
import { decoyPasswordHash, hashPassword, passwordMatches } from './passwordHash';

export interface NewUser {
  userName: string;
  displayName: string;
  password: string;
}

interface UserRow {
  id: string;
  user_name: string;
  display_name: string;
  creation_time: string;
}

/** Thrown by `create` when the user name is taken (user names compare case-insensitively). */
export class DuplicateUserName extends Error {}

const COLUMNS = 'id, user_name, display_name, creation_time';

export class UserStore {
  private readonly statements;

  constructor(db: IdentityDatabase) {
    this.statements = {
      list: db.prepare(`SELECT ${COLUMNS} FROM local_user ORDER BY user_name`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM local_user WHERE id = ?`),
      byName: db.prepare(`SELECT ${COLUMNS}, password_hash FROM local_user WHERE user_name = ?`),
      insert: db.prepare(
        'INSERT INTO local_user (id, user_name, display_name, password_hash, creation_time) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteByName: db.prepare('DELETE FROM local_user WHERE user_name = ? RETURNING id'),
    };
  }

  list(): LocalUser[] {
    return (this.statements.list.all() as UserRow[]).map(toUser);
  }

  get(id: string): LocalUser | null {
    const row = this.statements.byId.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  /** Stores a user whose input already passed `checkUser`; only the password's hash is kept. */
  async create(user: NewUser): Promise<LocalUser> {
    const passwordHash = await hashPassword(user.password);
    const row: UserRow = {
      id: randomUUID(),
      user_name: user.userName,
      display_name: user.displayName,
      creation_time: new Date().toISOString(),
    };
    try {
      this.statements.insert.run(row.id, row.user_name, row.display_name, passwordHash, row.creation_time);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateUserName(user.userName);
      throw error;
    }
    return toUser(row);
  }

  /** The deleted user's id, or null when there was no such user. */
  delete(userName: string): string | null {
    const row = this.statements.deleteByName.get(userName) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** The user these credentials sign in, or null; an unknown name costs as much time as a wrong password. */
  async authenticate(userName: string, password: string): Promise<LocalUser | null> {
    const row = this.statements.byName.get(userName.trim()) as (UserRow & { password_hash: string }) | undefined;
    const matches = await passwordMatches(password, row?.password_hash ?? (await decoyPasswordHash()));
    return row && matches ? toUser(row) : null;
  }
}

function toUser(row: UserRow): LocalUser {
  return { id: row.id, userName: row.user_name, displayName: row.display_name, creationTime: row.creation_time };
}
