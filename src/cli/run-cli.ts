/**
 * Runs a CLI's main function: its result is the exit code, and an error that escapes it is
 * printed (message only: the commands report their own expected failures) with exit code 1.
 * process.exitCode rather than process.exit(), so pending output is flushed.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
