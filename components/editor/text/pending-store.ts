// The text of the pending (unlabelled) selection, shared by the view (writer) and the toolbar
// (reader) without going through the workspace's state: a caret move re-renders the toolbar's
// hint, not every panel.
export class PendingStore {
  private value: string | null = null;
  private readonly listeners = new Set<() => void>();
  readonly get = (): string | null => this.value;
  set(v: string | null): void {
    if (v === this.value) return;
    this.value = v;
    for (const l of [...this.listeners]) l();
  }
  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}
