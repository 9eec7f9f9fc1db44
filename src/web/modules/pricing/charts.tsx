import { type ReactNode, useId } from 'react';
import { Table } from '../../ui/index.js';

/**
 * Charts are drawn as plain SVG. The SVG is an image (role="img" with <title> and <desc>) and the same
 * numbers are always given in a data table right after it (RGAA 1.3, 1.4): nobody depends on seeing
 * the drawing. Series differ by colour and by shape (solid / hatched bars, solid / dashed lines) so
 * colour is never the only cue (RGAA 3.1). The colours contrast ≥ 3:1 with white (RGAA 3.3).
 */
export const SERIES_COLOURS = ['#000091', '#b34000', '#18753c'] as const;

export interface Series {
  name: string;
}

export interface BarRow {
  key: string;
  label: string;
  /** One value per series. */
  values: number[];
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (max <= step * power) return step * power;
  return 10 * power;
}

function Legend({ series, kind }: { series: Series[]; kind: 'bar' | 'line' }) {
  if (series.length < 2) return null;
  return (
    <ul className="legend" aria-hidden="true">
      {series.map((s, i) => (
        <li key={s.name}>
          <svg width="28" height="14" focusable="false" aria-hidden="true">
            {kind === 'bar' ? (
              <rect
                x="1"
                y="1"
                width="26"
                height="12"
                fill={i === 1 ? `url(#hatch-legend-${i})` : SERIES_COLOURS[i]}
                stroke={SERIES_COLOURS[i]}
              />
            ) : (
              <line
                x1="0"
                y1="7"
                x2="28"
                y2="7"
                stroke={SERIES_COLOURS[i]}
                strokeWidth="3"
                strokeDasharray={i === 1 ? '6 4' : undefined}
              />
            )}
            <defs>
              <Hatch id={`hatch-legend-${i}`} colour={SERIES_COLOURS[i]} />
            </defs>
          </svg>{' '}
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function Hatch({ id, colour }: { id: string; colour: string }) {
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#ffffff" />
      <line x1="0" y1="0" x2="0" y2="6" stroke={colour} strokeWidth="4" />
    </pattern>
  );
}

export interface BarChartProps {
  title: string;
  /** A sentence saying what the chart shows and its main finding. */
  description: string;
  series: Series[];
  rows: BarRow[];
  format: (value: number) => string;
  /** Caption of the data table; defaults to the title. */
  tableCaption?: string;
  /** Header of the first column of the data table. */
  labelHeader: string;
  extraColumns?: { key: string; header: string; render: (row: BarRow) => ReactNode; numeric?: boolean }[];
}

/** Horizontal bars (one group per row, one bar per series), followed by the data table. */
export function BarChart({
  title,
  description,
  series,
  rows,
  format,
  tableCaption,
  labelHeader,
  extraColumns = [],
}: BarChartProps) {
  const id = useId().replace(/:/g, '');
  const labelWidth = 220;
  const valueWidth = 110;
  const plotWidth = 420;
  const barHeight = 16;
  const gap = 10;
  const groupHeight = series.length * barHeight + gap;
  const height = Math.max(1, rows.length) * groupHeight + gap;
  const width = labelWidth + plotWidth + valueWidth;
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => r.values)));
  return (
    <div className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
        focusable="false"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          {series.map((s, i) => (
            <Hatch key={s.name} id={`${id}-hatch-${i}`} colour={SERIES_COLOURS[i]} />
          ))}
        </defs>
        <line x1={labelWidth} y1={0} x2={labelWidth} y2={height} stroke="#3a3a3a" />
        {rows.map((row, r) => {
          const top = gap + r * groupHeight;
          return (
            <g key={row.key}>
              <text
                x={labelWidth - 8}
                y={top + (series.length * barHeight) / 2}
                textAnchor="end"
                dominantBaseline="middle"
                fontSize="13"
                fill="#161616"
              >
                {row.label.length > 32 ? `${row.label.slice(0, 31)}…` : row.label}
              </text>
              {row.values.map((value, i) => {
                const w = Math.max(value > 0 ? 1 : 0, (value / max) * plotWidth);
                const y = top + i * barHeight;
                return (
                  <g key={series[i]?.name ?? i}>
                    <rect
                      x={labelWidth}
                      y={y + 1}
                      width={w}
                      height={barHeight - 2}
                      fill={i === 1 ? `url(#${id}-hatch-${i})` : SERIES_COLOURS[i % SERIES_COLOURS.length]}
                      stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                    />
                    <text
                      x={labelWidth + w + 6}
                      y={y + barHeight / 2}
                      dominantBaseline="middle"
                      fontSize="12"
                      fill="#161616"
                    >
                      {format(value)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Legend series={series} kind="bar" />
      <Table
        caption={tableCaption ?? `${title} (données du graphique)`}
        rows={rows}
        rowKey={(r) => r.key}
        columns={[
          { key: 'label', header: labelHeader, rowHeader: true, render: (r) => r.label },
          ...series.map((s, i) => ({
            key: `s${i}`,
            header: s.name,
            numeric: true,
            render: (r: BarRow) => format(r.values[i] ?? 0),
          })),
          ...extraColumns,
        ]}
      />
    </div>
  );
}

export interface LinePoint {
  x: number;
  /** One value per series; null when the series has no value at x. */
  values: (number | null)[];
}

export interface LineChartProps {
  title: string;
  description: string;
  series: Series[];
  points: LinePoint[];
  xLabel: string;
  yLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  tableCaption?: string;
  /** An x to highlight (today's number of subscribers). */
  markX?: number;
}

/** Lines over a numeric x axis (e.g. the price per subscriber as subscribers grow), then the data table. */
export function LineChart({
  title,
  description,
  series,
  points,
  xLabel,
  yLabel,
  formatX,
  formatY,
  tableCaption,
  markX,
}: LineChartProps) {
  const id = useId().replace(/:/g, '');
  const left = 96;
  const right = 24;
  const top = 16;
  const bottom = 48;
  const plotWidth = 560;
  const plotHeight = 260;
  const width = left + plotWidth + right;
  const height = top + plotHeight + bottom;
  const xs = points.map((p) => p.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const maxY = niceMax(Math.max(0, ...points.flatMap((p) => p.values.filter((v): v is number => v != null))));
  const sx = (x: number) => left + (maxX === minX ? plotWidth / 2 : ((x - minX) / (maxX - minX)) * plotWidth);
  const sy = (y: number) => top + plotHeight - (y / maxY) * plotHeight;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY);
  const xTickEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <div className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
        focusable="false"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={left} x2={left + plotWidth} y1={sy(t)} y2={sy(t)} stroke="#dddddd" />
            <text
              x={left - 6}
              y={sy(t)}
              textAnchor="end"
              dominantBaseline="middle"
              fontSize="12"
              fill="#161616"
            >
              {formatY(t)}
            </text>
          </g>
        ))}
        <line x1={left} x2={left} y1={top} y2={top + plotHeight} stroke="#3a3a3a" />
        <line x1={left} x2={left + plotWidth} y1={top + plotHeight} y2={top + plotHeight} stroke="#3a3a3a" />
        {points.map((p, i) =>
          i % xTickEvery === 0 || i === points.length - 1 ? (
            <text
              key={p.x}
              x={sx(p.x)}
              y={top + plotHeight + 16}
              textAnchor="middle"
              fontSize="12"
              fill="#161616"
            >
              {formatX(p.x)}
            </text>
          ) : null,
        )}
        <text x={left + plotWidth / 2} y={height - 6} textAnchor="middle" fontSize="12" fill="#161616">
          {xLabel}
        </text>
        {markX !== undefined && markX >= minX && markX <= maxX && (
          <line
            x1={sx(markX)}
            x2={sx(markX)}
            y1={top}
            y2={top + plotHeight}
            stroke="#3a3a3a"
            strokeDasharray="2 3"
          />
        )}
        {series.map((s, i) => {
          const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
          const drawn = points.filter((p) => p.values[i] != null);
          const d = drawn
            .map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x)},${sy(p.values[i] as number)}`)
            .join(' ');
          return (
            <g key={s.name}>
              <path
                d={d}
                fill="none"
                stroke={colour}
                strokeWidth="3"
                strokeDasharray={i === 1 ? '6 4' : undefined}
              />
              {drawn.map((p) => (
                <circle key={p.x} cx={sx(p.x)} cy={sy(p.values[i] as number)} r="3.5" fill={colour} />
              ))}
            </g>
          );
        })}
      </svg>
      <Legend series={series} kind="line" />
      <Table
        caption={tableCaption ?? `${title} (données du graphique)`}
        rows={points}
        rowKey={(p) => String(p.x)}
        columns={[
          { key: 'x', header: xLabel, rowHeader: true, numeric: true, render: (p) => formatX(p.x) },
          ...series.map((s, i) => ({
            key: `s${i}`,
            header: series.length > 1 ? `${yLabel} — ${s.name}` : yLabel,
            numeric: true,
            render: (p: LinePoint) => (p.values[i] == null ? '—' : formatY(p.values[i] as number)),
          })),
        ]}
      />
    </div>
  );
}
