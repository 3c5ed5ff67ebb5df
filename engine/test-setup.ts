// Unit tests run the engine on TF.js's plain-JS cpu backend in Node.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('cpu');
