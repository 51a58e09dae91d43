// A bar chart drawn by Chart.js (loaded with the dashboard only). The numbers are always also
// in a table next to it, so the canvas is a picture with a summary, not the only source.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../format.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Canvas knows no CSS variables: `var(--chart-1)` is read from the page's current theme. */
function resolveColor(color: string): string {
  const match = /^var\((--[\w-]+)\)$/.exec(color);
  return match?.[1] ? cssVar(match[1], '#4a78c2') : color;
}

export default function BarChart({
  labels,
  series,
  summary,
  percent = false,
  stacked = false,
}: {
  labels: string[];
  series: Series[];
  summary: string;
  percent?: boolean;
  stacked?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { i18n } = useTranslation();

  useEffect(() => {
    if (!canvas.current) return;
    const rtl = i18n.language === 'ar';
    const text = cssVar('--text', '#1d2430');
    const grid = cssVar('--border', '#d6dbe3');
    const locale = intlLocale(i18n.language);
    const format = new Intl.NumberFormat(locale, percent ? { style: 'percent', maximumFractionDigits: 0 } : {});
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: resolveColor(s.color), borderRadius: 4 })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale,
        plugins: {
          legend: { rtl, labels: { color: text, font: { family: cssVar('--font', 'sans-serif') } } },
          tooltip: { rtl, callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${format.format(Number(c.raw ?? 0))}` } },
        },
        scales: {
          x: { reverse: rtl, stacked, ticks: { color: text }, grid: { color: grid } },
          y: { stacked, beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { color: text, callback: (v) => format.format(Number(v)) }, grid: { color: grid } },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, series, percent, stacked, i18n.language]);

  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
