// Error answers of the management API, in the problem-details shape UiPath's API uses.
import type { Context } from 'koa';
import type { Issue } from '../../shared/errors';

const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** A refusal the routes throw; the API's error middleware turns it into the JSON answer. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors?: Record<string, string[]>,
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }

  static invalid(issues: readonly Issue[]): ApiProblem {
    const errors: Record<string, string[]> = {};
    for (const issue of issues) (errors[issue.field] ??= []).push(issue.message);
    return new ApiProblem(400, VALIDATION_TITLE, errors);
  }

  static notFound(what: string): ApiProblem {
    return new ApiProblem(404, `${what} was not found.`);
  }
}

export function sendProblem(ctx: Context, problem: ApiProblem): void {
  ctx.status = problem.status;
  ctx.set(problem.headers);
  ctx.body = { status: problem.status, title: problem.title, ...(problem.errors ? { errors: problem.errors } : {}) };
}
