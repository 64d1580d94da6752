/** One measured figure, as every bench reports it. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Prints a figure as one aligned line. */
export function printFigure(figure: Figure): void {
  const value = Math.abs(figure.value) >= 100 ? figure.value.toFixed(0) : figure.value.toFixed(3);
  console.log(
    `${figure.name.padEnd(52)} ${value.padStart(12)} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`,
  );
}

/** Interpolated quantile of an unsorted sample. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** True when the module is the script node was asked to run (to let a bench run alone). */
export function isMain(url: string): boolean {
  return Boolean(process.argv[1]) && url === new URL(`file://${process.argv[1]}`).href;
}
