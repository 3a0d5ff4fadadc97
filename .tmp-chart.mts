import * as echarts from "echarts";
const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 300, height: 200 });
chart.setOption({ xAxis: { type: "category", data: ["a","b"] }, yAxis: {}, series: [{ type: "bar", data: [1,2] }] });
const svg = chart.renderToSVGString();
console.log(svg.match(/<style[\s\S]*?<\/style>/g));
