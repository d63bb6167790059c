// ECharts' prebuilt single-file ES module (every chart type and both renderers): the host loads this one file
// rather than the hundreds of modules of `echarts/core`, which costs seconds per process under a TypeScript
// loader (the CLI). Its API is the package's.
declare module 'echarts/dist/echarts.esm.min' {
  export * from 'echarts';
}
