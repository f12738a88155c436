// Line charts for the admin UI (ApexCharts 4.7.0, MIT, copied from npm into lib/apexcharts by the build).
// Driven from ApexLineChart.razor.cs through JS interop. Every function takes the chart's container element; the chart
// and its data live on that element. Calls may arrive before the library has loaded: each waits for the chart, and they
// run in the order they were made.
//
// After every change the container carries data-points (points of the longest series) and data-sum (all values added
// up), which the browser tests read.

let apexLoading;

function loadApexCharts() {
    if (window.ApexCharts) {
        return Promise.resolve(window.ApexCharts);
    }

    apexLoading ??= new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("../lib/apexcharts/apexcharts.min.js", import.meta.url).href;
        script.onload = () => resolve(window.ApexCharts);
        script.onerror = () => {
            apexLoading = undefined;
            reject(new Error("Could not load " + script.src));
        };
        document.head.appendChild(script);
    });
    return apexLoading;
}

const units = ["B", "KB", "MB", "GB", "TB"];

function formatValue(value, format) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return "";
    }

    if (format === "bytes") {
        let unit = 0;
        let scaled = value;
        while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }

        return (unit === 0 ? Math.round(scaled) : scaled.toFixed(1)) + " " + units[unit];
    }

    return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(1);
}

// Axis labels, legend and grid in the admin theme's colours (light or dark); ApexCharts' own defaults are for a light page.
// No theme.mode: updateOptions with a mode would replace foreColor with the library's own and change the series palette.
const themes = {
    light: { foreColor: "#37474f", gridColor: "rgba(0, 0, 0, 0.12)" },
    dark: { foreColor: "#d5dde6", gridColor: "rgba(255, 255, 255, 0.16)" },
};

function themeOptions(dark) {
    const colors = dark ? themes.dark : themes.light;
    return {
        chart: { foreColor: colors.foreColor },
        grid: { borderColor: colors.gridColor },
        tooltip: { theme: dark ? "dark" : "light" },
    };
}

function options(config, series) {
    const theme = themeOptions(config.dark);
    return {
        chart: {
            type: "line",
            height: config.height,
            animations: { enabled: false },
            toolbar: { show: false },
            zoom: { enabled: false },
            background: "transparent",
            fontFamily: "inherit",
            foreColor: theme.chart.foreColor,
        },
        series,
        stroke: { width: 2, curve: "straight" },
        markers: markers(series),
        dataLabels: { enabled: false },
        legend: { show: true, position: "top", horizontalAlign: "right" },
        grid: theme.grid,
        noData: { text: "No samples yet" },
        xaxis: xaxis(config, series),
        yaxis: { min: 0, forceNiceScale: true, labels: { formatter: v => formatValue(v, config.format) } },
        tooltip: {
            theme: theme.tooltip.theme,
            x: { format: config.timeFormat },
            y: { formatter: v => formatValue(v, config.format) },
        },
    };
}

// A line of one point draws nothing: such a line gets a marker (lines of more points stay without).
function markers(series) {
    return { size: series.map(line => (line.data.length === 1 ? 5 : 0)), hover: { sizeOffset: 3 } };
}

// The time axis covers the points and half an interval either side (config.intervalMs), so a single point sits in the
// middle of its hour or day; left to itself, the library spans days around one point.
function xaxis(config, series) {
    let min = Infinity;
    let max = -Infinity;
    for (const line of series) {
        for (const point of line.data) {
            min = Math.min(min, point[0]);
            max = Math.max(max, point[0]);
        }
    }

    const axis = { type: "datetime", labels: { datetimeUTC: true } };
    if (min <= max) {
        const pad = (config.intervalMs || 1000) / 2;
        axis.min = min - pad;
        axis.max = max + pad;
    }

    return axis;
}

function publish(element, state) {
    let points = 0;
    let sum = 0;
    for (const line of state.series) {
        points = Math.max(points, line.data.length);
        for (const point of line.data) {
            sum += point[1];
        }
    }

    element.dataset.points = String(points);
    element.dataset.sum = String(sum);
}

// Runs op(state) after the chart exists and after every earlier call on it; nothing when it could not be created.
function enqueue(element, op) {
    const state = element.__syncServerChart;
    if (!state) {
        return Promise.reject(new Error("No chart was created on this element"));
    }

    state.queue = state.queue.then(() => (state.chart && !state.destroyed ? op(state) : undefined));
    return state.queue;
}

function copy(series) {
    return series.map(s => ({ name: s.name, data: s.data.map(p => [p[0], p[1]]) }));
}

// Redraws with the series, and with the axis range and markers that follow from them.
async function render(element, state) {
    const series = copy(state.series);
    await state.chart.updateOptions({ series, xaxis: xaxis(state.config, series), markers: markers(series) }, false, false);
    publish(element, state);
}

/** Creates a line chart in the element. config: { height, format ("count" | "bytes"), timeFormat (tooltip, UTC),
 *  intervalMs (one point's interval), dark (the admin theme) };
 *  series: [{ name, data: [[unixMs, value], ...] }]. Resolves once it is drawn. */
export function create(element, config, series) {
    const state = { series: copy(series), chart: null, config, destroyed: false };
    const ready = loadApexCharts().then(ApexCharts => {
        if (state.destroyed) {
            return;
        }

        state.chart = new ApexCharts(element, options(config, copy(state.series)));
        element.dataset.theme = config.dark ? "dark" : "light";
        publish(element, state);
        return state.chart.render();
    });
    state.queue = ready.catch(() => undefined); // later calls do nothing if the chart could not be created
    element.__syncServerChart = state;
    return ready;
}

/** Replaces every series (a new resolution, or the history reloaded); timeFormat and intervalMs as in create. */
export function replaceSeries(element, series, timeFormat, intervalMs) {
    return enqueue(element, async state => {
        state.series = copy(series);
        state.config.intervalMs = intervalMs;
        if (timeFormat && timeFormat !== state.config.timeFormat) {
            state.config.timeFormat = timeFormat;
            await state.chart.updateOptions({ tooltip: options(state.config, []).tooltip }, false, false);
        }

        await render(element, state);
    });
}

/** Adds one point to every series at x (unix ms), values in series order; a point at the same x as a series' last one
 *  replaces it (the interval in progress). Keeps at most maxPoints per series, dropping the oldest. */
export function appendPoints(element, x, values, maxPoints) {
    return enqueue(element, async state => {
        let changed = false;
        state.series.forEach((line, i) => {
            if (i >= values.length) {
                return;
            }

            const last = line.data[line.data.length - 1];
            if (last && last[0] === x) {
                changed ||= last[1] !== values[i];
                last[1] = values[i];
            } else if (!last || last[0] < x) {
                line.data.push([x, values[i]]);
                changed = true;
            }

            if (line.data.length > maxPoints) {
                line.data.splice(0, line.data.length - maxPoints);
            }
        });
        if (changed) { // the hour or day in progress mostly stays as it was: no redraw for that
            await render(element, state);
        }
    });
}

/** Switches axis labels, legend, grid and tooltip to the light or dark admin theme (the admin switched themes). */
export function setTheme(element, dark) {
    return enqueue(element, async state => {
        state.config.dark = dark;
        await state.chart.updateOptions(themeOptions(dark), false, false);
        element.dataset.theme = dark ? "dark" : "light";
    });
}

/** Destroys the chart (the component was disposed). */
export async function destroy(element) {
    const state = element.__syncServerChart;
    if (!state) {
        return;
    }

    delete element.__syncServerChart;
    await state.queue;
    state.destroyed = true;
    state.chart?.destroy();
}
