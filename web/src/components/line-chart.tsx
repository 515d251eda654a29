/** A step chart of cumulative counts over time, one line per series, with an optional target line. */
export interface Series {
  readonly label: string;
  /** Dates (YYYY-MM-DD) of each event, any order. */
  readonly dates: readonly string[];
}

const PALETTE = ['#0b4f8a', '#b35900', '#1d7a4c', '#7b3fa0', '#a3123a', '#3b5566', '#806000'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4'];

function days(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

/**
 * An SVG chart (role="img" with a text summary); the same numbers are given as a table by the caller.
 * Lines differ by colour and dash pattern, so they can be told apart without colour.
 */
export function CumulativeChart(props: {
  title: string;
  series: readonly Series[];
  target?: { total: number; start: string; end: string } | undefined;
}) {
  const width = 720;
  const height = 300;
  const margin = { left: 48, right: 16, top: 16, bottom: 36 };
  const all = props.series.flatMap((series) => series.dates);
  const starts = [...all, ...(props.target === undefined ? [] : [props.target.start])].map(days);
  const ends = [...all, ...(props.target === undefined ? [] : [props.target.end])].map(days);
  if (starts.length === 0) return <p className="muted">No data to chart yet.</p>;
  const x0 = Math.min(...starts);
  const x1 = Math.max(...ends, x0 + 1);
  const yMax = Math.max(1, props.target?.total ?? 0, ...props.series.map((series) => series.dates.length));
  const sx = (day: number) => margin.left + ((day - x0) / (x1 - x0)) * (width - margin.left - margin.right);
  const sy = (value: number) =>
    height - margin.bottom - (value / yMax) * (height - margin.top - margin.bottom);
  const ticks = 5;
  const yTicks = Array.from({ length: ticks + 1 }, (_, index) => Math.round((yMax * index) / ticks));
  const xTicks = Array.from({ length: 5 }, (_, index) => x0 + ((x1 - x0) * index) / 4);
  const summary = props.series.map((series) => `${series.label}: ${series.dates.length}`).join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.title}. ${summary}`}>
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line
              x1={margin.left}
              x2={width - margin.right}
              y1={sy(tick)}
              y2={sy(tick)}
              className="grid-line"
            />
            <text x={margin.left - 6} y={sy(tick) + 4} textAnchor="end" className="axis-text">
              {tick}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={sx(tick)} y={height - 12} textAnchor="middle" className="axis-text">
            {new Date(tick * 86_400_000).toLocaleDateString('en-GB', {
              month: 'short',
              year: '2-digit',
              timeZone: 'UTC',
            })}
          </text>
        ))}
        {props.target === undefined ? null : (
          <line
            x1={sx(days(props.target.start))}
            y1={sy(0)}
            x2={sx(days(props.target.end))}
            y2={sy(props.target.total)}
            className="target-line"
          />
        )}
        {props.series.map((series, index) => {
          const sorted = [...series.dates].sort();
          let path = `M ${sx(x0)} ${sy(0)}`;
          sorted.forEach((date, count) => {
            path += ` H ${sx(days(date))} V ${sy(count + 1)}`;
          });
          path += ` H ${sx(x1)}`;
          return (
            <path
              key={series.label}
              d={path}
              fill="none"
              stroke={PALETTE[index % PALETTE.length]}
              strokeWidth={2.5}
              strokeDasharray={DASHES[index % DASHES.length]}
            />
          );
        })}
      </svg>
      <figcaption className="legend">
        {props.series.map((series, index) => (
          <span key={series.label} className="legend-item">
            <svg width="28" height="10" aria-hidden="true">
              <line
                x1="0"
                x2="28"
                y1="5"
                y2="5"
                stroke={PALETTE[index % PALETTE.length]}
                strokeWidth={3}
                strokeDasharray={DASHES[index % DASHES.length]}
              />
            </svg>
            {series.label} ({series.dates.length})
          </span>
        ))}
        {props.target === undefined ? null : (
          <span className="legend-item">
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" x2="28" y1="5" y2="5" className="target-line" />
            </svg>
            Target ({props.target.total} by {props.target.end})
          </span>
        )}
      </figcaption>
    </figure>
  );
}
