// A line chart drawn by Chart.js (loaded with the dashboard only), for trends over periods. As
// with the bar chart, the same numbers are in a table beside it: the canvas is a picture.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../format.ts';
import type { Series } from './BarChart.tsx';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function resolveColor(color: string): string {
  const match = /^var\((--[\w-]+)\)$/.exec(color);
  return match?.[1] ? cssVar(match[1], '#4a78c2') : color;
}

export default function LineChart({ labels, series, summary, min, max }: { labels: string[]; series: Series[]; summary: string; min?: number; max?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { i18n } = useTranslation();

  useEffect(() => {
    if (!canvas.current) return;
    const rtl = i18n.language === 'ar';
    const text = cssVar('--text', '#1d2430');
    const grid = cssVar('--border', '#d6dbe3');
    const locale = intlLocale(i18n.language);
    const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.data, borderColor: resolveColor(s.color), backgroundColor: resolveColor(s.color), spanGaps: true, tension: 0.2 })),
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
          x: { reverse: rtl, ticks: { color: text }, grid: { color: grid } },
          y: { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), position: rtl ? 'right' : 'left', ticks: { color: text, callback: (v) => format.format(Number(v)) }, grid: { color: grid } },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, series, min, max, i18n.language]);

  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
