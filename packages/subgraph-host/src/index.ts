export { type RunSubgraphsOptions, type RunningSubgraphs, SUBGRAPH_DEFINITIONS, runSubgraphs } from './run-subgraphs.js';
