// `npm run bench`: every benchmark prints ours against a baseline measured in the same run.
import { printResults } from './measure';
import { benchTenantDocLayout } from './tenant-doc-layout';
import { benchTreeView } from './tree-view';

const results = [...benchTenantDocLayout(), ...benchTreeView()];
printResults(results);
