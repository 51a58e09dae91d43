// Durations kept as histograms so that medians can be read from rollups: a duration of m
// minutes falls in bucket floor(ln(1 + m) / ln(1.05)) — the same formula as the SQL function
// performance_bucket (migration 055). Buckets are 5% wide, so a median interpolated inside
// its bucket is within 5% of the exact median of the same durations.

const RATIO = 1.05;
const LOG_RATIO = Math.log(RATIO);

export function durationBucket(minutes: number): number {
  return Math.floor(Math.log(1 + Math.max(minutes, 0)) / LOG_RATIO);
}

/** The durations (minutes) a bucket holds: [lower, upper). */
export function bucketBounds(bucket: number): { lower: number; upper: number } {
  return { lower: RATIO ** bucket - 1, upper: RATIO ** (bucket + 1) - 1 };
}

/**
 * The median of the durations counted in a histogram (bucket → count), null when it counts
 * none. As percentile_cont(0.5) does on the raw values: the mean of the two middle values for
 * an even count; each value is placed by spreading a bucket's count evenly across its width.
 */
export function histogramMedian(counts: ReadonlyMap<number, number>): number | null {
  const buckets = [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  /** The value of rank k (0-based) in sorted order. */
  const at = (k: number): number => {
    let before = 0;
    for (const [bucket, n] of buckets) {
      if (k < before + n) {
        const { lower, upper } = bucketBounds(bucket);
        return lower + ((k - before + 0.5) / n) * (upper - lower);
      }
      before += n;
    }
    return bucketBounds(buckets.at(-1)?.[0] ?? 0).upper;
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}
