export type ErrorBody = {
  error: { code: string; message: string; details?: unknown; requestId: string };
};

export function errorBody(code: string, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId } };
}
