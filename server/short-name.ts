// Room names in logs are cut short: enough to tell rooms apart, not to list spaces.

export function short(room: string): string {
  return `${room.slice(0, 8)}…`;
}
