// Omit over each member of a union (plain Omit flattens the union into its common keys): a request
// type without its `id`, which the thread client adds when it posts it.
export type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
