export * from './ids';
export * from './tree';
export * from './licenses';
export * from './customer';
export * from './api';
