/** Resolves `opened` when `open()` is called: a one-shot barrier that holds one side of a race. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
