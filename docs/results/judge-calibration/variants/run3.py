import json, sys, time, anyio
sys.path.insert(0,'/tmp/jx')
from exp import rows
from cadenza.providers.registry import resolve
from cadenza.settings import Settings
from cadenza.providers.base import CompletionRequest, Message

def req(task, cand, rq, v):
    if v=='min':
        msgs=(Message("user", f"Text:\n\"\"\"\n{cand}\n\"\"\"\n\nDoes this text follow the instruction \"{rq}\"? Answer yes or no."),)
    elif v=='mintask':
        msgs=(Message("user", f"Someone was asked: \"{task}\" with the instruction \"{rq}\"\n\nThey wrote:\n\"\"\"\n{cand}\n\"\"\"\n\nDid they follow the instruction \"{rq}\"? Answer yes or no."),)
    elif v=='sys':
        msgs=(Message("system","You check whether a text follows an instruction. Be strict: answer no if the text goes against any part of the instruction."),Message("user", f"Instruction: {rq}\n\nText:\n\"\"\"\n{cand}\n\"\"\"\n\nDoes the text follow the instruction? Answer yes or no."))
    return CompletionRequest(messages=msgs, temperature=0.0, seed=0, max_tokens=4, choices=("yes","no"))

async def main():
    model = resolve('local:qwen2.5-coder-1.5b', Settings.load())
    out=open('/tmp/jx/out3.jsonl','a')
    t0=time.monotonic()
    rr=rows(); rr=[r for r in rr if r[0]=='ood']+[r for r in rr if r[0]=='own']
    for src,id_,task,rq,ans,label in rr:
        res={}
        async def one(key):
            c = await model.complete(req(task, ans, rq, key))
            res[key]=(c.choice_probs or {}).get('yes')
        async with anyio.create_task_group() as tg:
            for v in ('min','mintask','sys'): tg.start_soon(one, v)
        rec=dict(src=src,id=id_,label=label,**res)
        out.write(json.dumps(rec)+"\n"); out.flush()
        print(round(time.monotonic()-t0), rec, flush=True)
if __name__=='__main__': anyio.run(main)
