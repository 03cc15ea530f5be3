// A busy port is the usual reason a second `npm start` fails; the operator needs the variable to change, not a
// stack trace through Node's net module.
export function listenErrorLine(err: unknown, port: number | string, what: string, variable: string): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} is in use (${what}); set ${variable} to another port`;
  if (code === 'EACCES') return `Port ${port} is not allowed for this user (${what}); set ${variable} to a port above 1023`;
  return undefined;
}
