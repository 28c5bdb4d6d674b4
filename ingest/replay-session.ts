// TEMPORARY shim for the benchmark helper; to be removed (imports go to ./replay/replay-session.ts).
export * from './replay/replay-session.ts';
