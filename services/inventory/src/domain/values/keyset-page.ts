/**
 * One page of a keyset-paged list. `read` is asked for one row more than the page holds: that row,
 * if it comes, tells that another page follows without a count query. The next page's token is
 * minted from the last row shown; undefined on the last page.
 */
export async function readKeysetPage<T>(
  limit: number,
  read: (rows: number) => Promise<T[]>,
  tokenAfter: (last: T) => string,
): Promise<{ rows: T[]; nextPageToken: string | undefined }> {
  const rows = await read(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextPageToken: rows.length > limit && last !== undefined ? tokenAfter(last) : undefined,
  };
}
