// The two IPC channel names between the preload and the main process. Everything else travels
// inside them as contract channel/event names, validated in main by dispatch().
export const INVOKE_CHANNEL = 'clearframe:invoke';
export const EVENT_CHANNEL = 'clearframe:event';
