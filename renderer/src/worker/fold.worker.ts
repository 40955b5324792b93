/** The fold worker: keeps a copy of the events on screen and folds them for the panels on request. */
import '../zod-config.js';
import { Folder, type FoldMessage, type FoldReply } from '../model/fold.js';

const folder = new Folder();

self.onmessage = (msg: MessageEvent<FoldMessage>) => {
  const m = msg.data;
  switch (m.type) {
    case 'reset': folder.reset(); break;
    case 'append': folder.append(m.events); break;
    case 'baseline': folder.setBaseline(m.baseline); break;
    case 'fold': {
      const reply: FoldReply = { type: 'folded', id: m.id, result: folder.fold(m.request) };
      (self as unknown as { postMessage(v: unknown): void }).postMessage(reply);
      break;
    }
  }
};
