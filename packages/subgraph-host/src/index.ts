export { type RunSubgraphsOptions, type RunningSubgraphs, SUBGRAPH_DEFINITIONS, logPrepared, runSubgraphs } from './run-subgraphs.js';
