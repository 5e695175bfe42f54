// The token endpoint's body reader, in every engine and in Node: createTokenHandler runs "anywhere with
// the Fetch API" (src/server/README.md), a browser's service worker or mock included.
import { expect } from 'chai';
import { readCappedText } from '../../src/server/read-capped.js';

const post = (body: BodyInit) => new Request('https://emr.example/token', { method: 'POST', body });

describe('readCappedText', () => {
  it("reads a Request's body as UTF-8 text", async () => {
    expect(await readCappedText(post('{"ctx":"Bélanger"}'), 1000)).to.equal('{"ctx":"Bélanger"}');
  });

  it("reads a Response's streamed body", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ['{"a":', '1}']) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    expect(await readCappedText(new Response(stream), 1000)).to.equal('{"a":1}');
  });

  it('gives null past the cap, counted in bytes, whole or streamed', async () => {
    expect(await readCappedText(post('é'.repeat(6)), 11)).to.equal(null);
    expect(await readCappedText(post('é'.repeat(6)), 12)).to.equal('é'.repeat(6));
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100));
      },
    });
    expect(await readCappedText(new Response(endless), 1000)).to.equal(null);
    expect(pulled).to.be.below(20);
  });

  it('reads an empty body as the empty string', async () => {
    expect(await readCappedText(new Request('https://emr.example/token', { method: 'POST' }), 10)).to.equal('');
  });

  it('throws on bytes that are not UTF-8', async () => {
    let thrown: unknown;
    await readCappedText(post(new Uint8Array([0x7b, 0xff, 0x7d])), 10).catch((error) => (thrown = error));
    expect(thrown).to.be.instanceOf(TypeError);
  });
});
