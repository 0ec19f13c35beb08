import v8 from 'node:v8';
setTimeout(() => { const m = process.memoryUsage(); console.error('MEM', JSON.stringify(Object.fromEntries(Object.entries(m).map(([k,v])=>[k,(v/1048576).toFixed(1)])))); for (const s of v8.getHeapSpaceStatistics()) console.error('SPACE', s.space_name, (s.space_size/1048576).toFixed(1), (s.space_used_size/1048576).toFixed(1)); process.exit(0); }, 8000);
