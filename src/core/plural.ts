/** `1 entity`, `2 entities`: a count and its noun, plural when the count is not 1. */
export function plural(count: number, word: string, plural = `${word}s`): string {
  return `${count} ${count === 1 ? word : plural}`;
}
