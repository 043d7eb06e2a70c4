/**
 * The names of a generated enum's values, in proto order, without UNSPECIFIED (proto3's zero: "not
 * set"). Each status list is then stated once, in proto/, and a status added there reaches the
 * client by itself.
 */
export function statusNames<E extends Record<string, number>>(
  values: E,
): readonly Exclude<keyof E & string, "UNSPECIFIED">[] {
  return Object.freeze(
    Object.keys(values).filter(
      (name): name is Exclude<keyof E & string, "UNSPECIFIED"> => name !== "UNSPECIFIED",
    ),
  );
}
