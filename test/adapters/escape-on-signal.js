// Test preload for last-resort.test.ts: on SIGUSR2, a promise rejects with nobody to handle it.
'use strict';
/* global process */
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('escaped on purpose'));
});
